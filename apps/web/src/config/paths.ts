/** Client-side routes, relative to the `/app` base the api serves the SPA under. */
export const paths = {
  /** Where a resource link launch lands (`/app/launch#code=…`), and so every role's home. */
  home: '/launch',
  /** Where a deep linking request lands (`/app/deep-link#code=…`). */
  deepLink: '/deep-link',
  /** Admin console pages besides the home (which is the course files, or what they need first). */
  admin: {
    moodle: '/admin/moodle',
    overview: '/admin/overview',
  },
} as const;
