import type { ComponentType } from 'react';
import { createBrowserRouter, type RouteObject } from 'react-router';
import { Layout } from './layout.tsx';
import { RouteError } from './route-error.tsx';

// Every page is its own chunk, so a customer on a phone opening a tracking link does not
// download the staff console; each page has its own error boundary inside the layout.
const page = (load: () => Promise<ComponentType>): Partial<RouteObject> => ({
  lazy: async () => ({ Component: await load() }),
  errorElement: <RouteError />,
});

export function createAppRouter() {
  return createBrowserRouter([
    {
      element: <Layout />,
      errorElement: <RouteError standalone />,
      // Shown while the first page's chunk loads (the pages are lazy); without it the router
      // warns on every load.
      hydrateFallbackElement: <div className="page-loading" role="status" aria-busy="true" />,
      children: [
        { path: '/', ...page(() => import('./routes/landing-route.tsx').then((m) => m.LandingRoute)) },
        { path: '/t/:token', ...page(() => import('./routes/track-route.tsx').then((m) => m.TrackRoute)) },
        {
          path: '/s/:shop/returns/*',
          ...page(() => import('./routes/returns-route.tsx').then((m) => m.ReturnsRoute)),
        },
        {
          path: '/returns/*',
          ...page(() => import('./routes/find-shop-route.tsx').then((m) => m.FindShopRoute)),
        },
        {
          path: '/console/*',
          ...page(() => import('./routes/console-route.tsx').then((m) => m.ConsoleRoute)),
        },
        { path: '/admin/*', ...page(() => import('./routes/admin-route.tsx').then((m) => m.AdminRoute)) },
        { path: '*', ...page(() => import('./routes/not-found-route.tsx').then((m) => m.NotFoundRoute)) },
      ],
    },
  ]);
}
