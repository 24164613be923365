/** Injected by vite.config.ts `define`: the package version, shown on the device screen. */
declare const __APP_VERSION__: string;
