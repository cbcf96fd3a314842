// The one query client: server state lives here. 4xx answers are not retried (they will not change),
// 401 sends the app back to sign-in (see shell), and queries poll at the user's refresh interval.
import { QueryClient } from '@tanstack/react-query';
import { isProblemError } from '../api/problem';
import { refetchInterval } from './live-state';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchInterval,
      refetchOnWindowFocus: true,
      retry: (count, error) => !(isProblemError(error) && error.status >= 400 && error.status < 500) && count < 2,
    },
    mutations: { retry: false },
  },
});
