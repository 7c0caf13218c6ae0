import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev -w @am/web` serves the UI with hot reload and forwards the API to a running
// gateway (`npm start`); the gateway itself serves the production build from dist/.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: { proxy: { '/api': process.env.GATEWAY_URL ?? 'http://127.0.0.1:3000' } },
});
