import { Route, Router, Switch } from 'wouter';
import { paths } from '@/config/paths';
import { AdminMoodleRoute } from './routes/admin/moodle-settings';
import { AdminOverviewRoute } from './routes/admin/overview';
import { DeepLinkRoute } from './routes/deep-link';
import { HomeRoute } from './routes/home';
import { NotFoundRoute } from './routes/not-found';

/** The api serves the SPA under /app (apps/api/src/serve-web-app.ts); routes are relative to it. */
export const routerBase = '/app';

export function AppRouter() {
  return (
    <Router base={routerBase}>
      <Switch>
        <Route path={paths.home} component={HomeRoute} />
        <Route path="/" component={HomeRoute} />
        <Route path={paths.deepLink} component={DeepLinkRoute} />
        <Route path={paths.admin.moodle} component={AdminMoodleRoute} />
        <Route path={paths.admin.overview} component={AdminOverviewRoute} />
        <Route component={NotFoundRoute} />
      </Switch>
    </Router>
  );
}
