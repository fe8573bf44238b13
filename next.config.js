import { realpathSync } from "node:fs";
import path from "node:path";

// A git worktree may share another checkout's node_modules through a symlink. Turbopack resolves packages
// only inside its root, so the root is the nearest folder that holds both the app and the real node_modules
// (the app's own folder in an ordinary checkout).
function workspaceRoot() {
  const here = process.cwd();
  let modules;
  try {
    modules = realpathSync(path.join(here, "node_modules"));
  } catch {
    return here;
  }
  let root = here;
  while (path.relative(root, modules).startsWith("..")) root = path.dirname(root);
  return root;
}

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
  turbopack: { root: workspaceRoot() },
};

export default nextConfig;
