import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

// The dashboard: web/ → web/dist, served by the server at `/`. `vite dev` proxies the API to PORT.
export default defineConfig({
  root: 'web',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: {
    proxy: {
      '/graphql': { target: `http://127.0.0.1:${process.env.PORT ?? 4000}`, ws: true },
      '/healthz': `http://127.0.0.1:${process.env.PORT ?? 4000}`,
    },
  },
})
