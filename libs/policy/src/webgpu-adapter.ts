// The GPU route (issue 11): TensorFlow.js's WebGPU backend on Dawn, the WebGPU implementation that the
// `webgpu` npm package ships prebuilt (linux-x64: one 21.5 MB `dawn.node`, nothing downloaded at install
// time), reaching NVIDIA and AMD GPUs through Vulkan (`libvulkan.so.1` and the vendor's driver at run
// time). Both packages are optional dependencies: `npm ci` passes without them, and a machine without a
// GPU finds no adapter (Dawn refuses Mesa's lavapipe), so the trainer falls back to WebAssembly.
//
// Node has no `navigator`: the package's GPU object is installed as `navigator.gpu` with the WebGPU
// constants (GPUBufferUsage, …) as globals before tfjs-backend-webgpu is imported, because that module
// registers its backend at import time only when `navigator.gpu` exists.

/** What the run log says about the GPU. */
export interface GpuAdapterDescription {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  /** Dawn puts the driver name and version here (e.g. "NVIDIA: 550.54.15"). */
  readonly description: string;
  readonly isFallbackAdapter: boolean;
}

export type GpuProbe = { readonly found: true; readonly adapter: GpuAdapterDescription } | { readonly found: false; readonly reason: string };

/** The subset of the `webgpu` package's module the probe uses. */
export interface DawnModule {
  create(flags: string[]): DawnGpu;
  globals: Record<string, unknown>;
}

export interface DawnGpu {
  requestAdapter(options?: { powerPreference?: string; forceFallbackAdapter?: boolean }): Promise<DawnAdapter | null>;
}

export interface DawnAdapter {
  readonly info?: Partial<Record<'vendor' | 'architecture' | 'device' | 'description', string>> & { isFallbackAdapter?: boolean };
  /** Older WebGPU: the flag on the adapter itself. */
  readonly isFallbackAdapter?: boolean;
}

/** Loads the optional `webgpu` package; null when it is not installed (or cannot load on this platform). */
export type DawnLoader = () => Promise<DawnModule | { readonly error: string }>;

const OPTIONAL_PACKAGES = { dawn: 'webgpu', backend: '@tensorflow/tfjs-backend-webgpu' };

export const loadDawn: DawnLoader = async () => {
  try {
    // A computed specifier: the package is optional, so neither tsc nor a bundler may require it.
    const module = (await import(OPTIONAL_PACKAGES.dawn)) as DawnModule;
    return module;
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { error: `the optional package "webgpu" cannot be loaded (${message}); npm ci installs it on linux-x64, linux-arm64, macOS and Windows` };
  }
};

/** Software rasterizers that expose themselves as GPUs: never worth training on. */
const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|swiftshader|software/i;

export function describeAdapter(adapter: DawnAdapter): GpuAdapterDescription {
  const info = adapter.info ?? {};
  const text = (value: string | undefined): string => (typeof value === 'string' ? value : '');
  const description = {
    vendor: text(info.vendor),
    architecture: text(info.architecture),
    device: text(info.device),
    description: text(info.description),
  };
  const isFallbackAdapter = info.isFallbackAdapter === true || adapter.isFallbackAdapter === true || SOFTWARE_ADAPTER.test(`${description.description} ${description.device} ${description.vendor}`);
  return { ...description, isFallbackAdapter };
}

export function formatAdapter(adapter: GpuAdapterDescription): string {
  const parts = [adapter.vendor, adapter.architecture, adapter.device].filter((part) => part !== '');
  return `${parts.join(' ') || 'unknown GPU'}${adapter.description ? ` (${adapter.description})` : ''}`;
}

interface ProbeState {
  readonly dawn: DawnModule;
  readonly gpu: DawnGpu;
}

let probed: { state: ProbeState | null; result: GpuProbe } | null = null;

/**
 * Looks for a real (non-fallback) GPU adapter through Dawn. The result is kept: Dawn's instance is
 * created once per process. `loader` is for tests.
 */
export async function probeWebGpu(loader: DawnLoader = loadDawn): Promise<GpuProbe> {
  if (probed !== null && loader === loadDawn) return probed.result;
  const loaded = await loader();
  if ('error' in loaded) return remember(loader, null, { found: false, reason: loaded.error });
  let gpu: DawnGpu;
  try {
    gpu = loaded.create([]);
  } catch (error) {
    return remember(loader, null, { found: false, reason: `Dawn could not start: ${error instanceof Error ? error.message : String(error)}` });
  }
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' }).catch(() => null);
  if (adapter === null) {
    return remember(loader, null, {
      found: false,
      reason: 'Dawn found no GPU adapter (a GPU needs libvulkan.so.1 and its vendor\'s Vulkan driver; software Vulkan such as lavapipe is refused)',
    });
  }
  const description = describeAdapter(adapter);
  if (description.isFallbackAdapter) return remember(loader, null, { found: false, reason: `only a software adapter was found: ${formatAdapter(description)}` });
  return remember(loader, { dawn: loaded, gpu }, { found: true, adapter: description });
}

function remember(loader: DawnLoader, state: ProbeState | null, result: GpuProbe): GpuProbe {
  if (loader === loadDawn) probed = { state, result };
  return result;
}

/**
 * Makes the probed GPU visible to tfjs-backend-webgpu (navigator.gpu and the WebGPU constants) and
 * imports it, which registers the `webgpu` backend. Requires a successful `probeWebGpu()` first.
 */
export async function installWebGpuBackend(): Promise<void> {
  const state = probed?.state;
  if (!state) throw new Error('installWebGpuBackend: no GPU adapter was found by probeWebGpu()');
  const scope = globalThis as { navigator?: { gpu?: unknown } };
  for (const [name, value] of Object.entries(state.dawn.globals)) {
    if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  }
  if (scope.navigator === undefined) Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true, writable: true });
  Object.defineProperty(scope.navigator as object, 'gpu', { value: state.gpu, configurable: true });
  await import(OPTIONAL_PACKAGES.backend);
}
