import { lazy } from 'react';
import { Route, Router, Switch } from 'wouter';
import { QueryBoundary } from '@/components/query-boundary';
import { paths } from '@/config/paths';
import { DeepLinkRoute } from './routes/deep-link';
import { HomeRoute } from './routes/home';
import { NotFoundRoute } from './routes/not-found';

const AdminMoodleRoute = lazy(() => import('./routes/admin/moodle-settings').then((module) => ({ default: module.AdminMoodleRoute })));
const AdminOverviewRoute = lazy(() => import('./routes/admin/overview').then((module) => ({ default: module.AdminOverviewRoute })));

/** The api serves the SPA under /app (apps/api/src/serve-web-app.ts); routes are relative to it. */
export const routerBase = '/app';

export function AppRouter() {
  return (
    <Router base={routerBase}>
      {/* The admin pages load on demand: a failed chunk shows an error with a retry, not a blank frame. */}
      <QueryBoundary>
        <Switch>
          <Route path={paths.home} component={HomeRoute} />
          <Route path="/" component={HomeRoute} />
          <Route path={paths.deepLink} component={DeepLinkRoute} />
          <Route path={paths.admin.moodle} component={AdminMoodleRoute} />
          <Route path={paths.admin.overview} component={AdminOverviewRoute} />
          <Route component={NotFoundRoute} />
        </Switch>
      </QueryBoundary>
    </Router>
  );
}
