/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // The app is type-checked on its own; Hardhat's tests and scripts have their own toolchain.
  typescript: { tsconfigPath: "tsconfig.app.json" },
  // Optional peer dependencies of wallet SDKs that the app never loads.
  webpack: (config) => {
    config.externals.push("pino-pretty", "lokijs", "encoding");
    return config;
  },
  turbopack: {},
};

export default nextConfig;
