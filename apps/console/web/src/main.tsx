// Entry point: theme before first paint, the query client, the router.
import { QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { applyRememberedTheme } from './app/preferences';
import { queryClient } from './app/query-client';
import { startFirstScreen } from './app/first-screen';
import { createAppRouter } from './app/router';
import './app/theme.css';
import './app/app.css';

applyRememberedTheme();
const router = createAppRouter(queryClient);
// The session, the first screen's data and its chunk, all requested now (the router would ask in turn).
startFirstScreen(router, queryClient);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
