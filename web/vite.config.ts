import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
const backend = 'http://127.0.0.1:8080';

/**
 * Vendor chunks: keep the heavy libraries out of the app code; the map page alone loads maplibre and
 * echarts. Higher priority captures first (a group also pulls in its modules' dependencies).
 */
const nodeModule = (names: string) => new RegExp(`[\\\\/]node_modules[\\\\/](${names})[\\\\/]`);
const vendorGroups = [
  { name: 'vendor-react', priority: 50, test: nodeModule('react|react-dom|react-router|react-router-dom|scheduler|cookie|set-cookie-parser') },
  { name: 'vendor-i18n', priority: 40, test: nodeModule('i18next|react-i18next|html-parse-stringify|void-elements') },
  { name: 'vendor-antd', priority: 30, test: nodeModule('antd|@ant-design|@rc-component|rc-[^\\\\/]+') },
  { name: 'vendor-echarts', priority: 20, test: nodeModule('echarts|zrender') },
  { name: 'vendor-maplibre', priority: 20, test: nodeModule('maplibre-gl|@maplibre|@mapbox') },
  // the app's own shared code (api client, i18n, shared/), used by the shell and every page
  { name: 'app-core', priority: 10, test: /[\\/]web[\\/]src[\\/](api\.ts|i18n[\\/]|shared[\\/])/ },
];

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // maplibre-gl alone is ~1 MB minified; it is loaded only by the map page.
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        codeSplitting: { groups: vendorGroups },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/docs': { target: backend, changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/docs': { target: backend, changeOrigin: false },
    },
  },
});
