import { describe, expect, it } from 'vitest';
import { BackendUnavailableError, initBackend, resolveBackend } from './tf-backend';
import { describeAdapter, probeWebGpu, type DawnAdapter, type DawnLoader, type GpuProbe } from './webgpu-adapter';

const H100: GpuProbe = { found: true, adapter: { vendor: 'nvidia', architecture: 'hopper', device: 'NVIDIA H100 80GB HBM3', description: 'NVIDIA: 550.54.15', isFallbackAdapter: false } };
const NONE: GpuProbe = { found: false, reason: 'Dawn found no GPU adapter' };

/** A stand-in for the `webgpu` package whose requestAdapter answers `adapter`. */
function dawnWith(adapter: DawnAdapter | null): DawnLoader {
  return async () => ({ create: () => ({ requestAdapter: async () => adapter }), globals: {} });
}

describe('backend selection', () => {
  it('auto takes WebGPU when a real adapter is found, wasm otherwise, saying why', async () => {
    expect(await resolveBackend('auto', { probe: async () => H100 })).toEqual({ backend: 'webgpu', adapter: H100.found ? H100.adapter : null, note: null });
    const fallback = await resolveBackend('auto', { probe: async () => NONE });
    expect(fallback.backend).toBe('wasm');
    expect(fallback.note).toMatch(/no GPU: Dawn found no GPU adapter; using wasm/);
  });

  it('refuses --backend=webgpu without a GPU, naming the reason; wasm and cpu never probe', async () => {
    await expect(resolveBackend('webgpu', { probe: async () => NONE })).rejects.toThrow(BackendUnavailableError);
    await expect(resolveBackend('webgpu', { probe: async () => NONE })).rejects.toThrow(/--backend=webgpu: Dawn found no GPU adapter/);
    const probe = async (): Promise<GpuProbe> => {
      throw new Error('must not probe');
    };
    expect((await resolveBackend('wasm', { probe })).backend).toBe('wasm');
    expect((await resolveBackend('cpu', { probe })).backend).toBe('cpu');
    // @ts-expect-error an unknown backend
    await expect(resolveBackend('tpu')).rejects.toThrow(/unknown backend "tpu"/);
  });

  it('probes through the webgpu package: no adapter, a software adapter, a real one, a package that cannot load', async () => {
    expect(await probeWebGpu(dawnWith(null))).toEqual({ found: false, reason: expect.stringMatching(/no GPU adapter.*libvulkan/) });
    const lavapipe = { info: { vendor: 'mesa', architecture: '', device: 'llvmpipe (LLVM 15.0.6, 256 bits)', description: 'Mesa 22.3.6' } };
    expect(await probeWebGpu(dawnWith(lavapipe))).toEqual({ found: false, reason: expect.stringMatching(/only a software adapter was found: mesa llvmpipe/) });
    expect(await probeWebGpu(dawnWith({ info: { isFallbackAdapter: true, vendor: 'google', device: 'SwiftShader' } }))).toMatchObject({ found: false });
    const real = { info: { vendor: 'nvidia', architecture: 'hopper', device: 'NVIDIA H100 80GB HBM3', description: 'NVIDIA: 550.54.15' } };
    expect(await probeWebGpu(dawnWith(real))).toEqual({ found: true, adapter: { ...real.info, isFallbackAdapter: false } });
    expect(await probeWebGpu(async () => ({ error: 'the optional package "webgpu" cannot be loaded (no such module)' }))).toEqual({ found: false, reason: expect.stringMatching(/optional package "webgpu"/) });
    expect(describeAdapter({})).toEqual({ vendor: '', architecture: '', device: '', description: '', isFallbackAdapter: false });
  });

  it('on this machine: the real probe answers (CI has no GPU: auto falls back to wasm with the reason)', async () => {
    const probe = await probeWebGpu();
    if (probe.found) {
      expect(probe.adapter.isFallbackAdapter).toBe(false);
      return;
    }
    expect(probe.reason.length).toBeGreaterThan(10);
    const info = await initBackend('auto');
    expect(info).toMatchObject({ backend: 'wasm', requested: 'auto', adapter: null });
    expect(info.note).toContain(probe.reason);
    await expect(initBackend('webgpu')).rejects.toThrow(BackendUnavailableError);
  });
});
