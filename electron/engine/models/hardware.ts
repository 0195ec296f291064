import type { GpuKind, HardwareInfo } from '../../contracts';
import { probeHardware as probeMachine, type GpuType, type HardwareProbe } from '../adapters/hardware';
import { freeDiskBytes } from './disk';

/** What node-llama-cpp reports about the GPU it would use; injectable so tests can describe other machines. */
export interface GpuReport {
  gpu: GpuKind | null;
  names: string[];
  vramBytes: number;
  unifiedMemory: boolean;
}

export type GpuProbe = (supported: GpuType[]) => Promise<GpuReport>;
export type MachineProbe = () => Promise<HardwareProbe>;

const CPU_ONLY: GpuReport = { gpu: null, names: [], vramBytes: 0, unifiedMemory: false };

/**
 * Starts node-llama-cpp on its best GPU backend (no build, no download) for device names and VRAM.
 * Skipped when the machine probe found no usable GPU backend, which keeps CPU-only probes fast.
 */
export const llamaGpuProbe: GpuProbe = async (supported) => {
  if (supported.length === 0) return CPU_ONLY;
  const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
  const llama = await getLlama({ gpu: 'auto', build: 'never', skipDownload: true, logLevel: LlamaLogLevel.error });
  try {
    const gpu = llama.gpu === false ? null : llama.gpu;
    if (!gpu) return CPU_ONLY;
    const [vram, names] = await Promise.all([llama.getVramState(), llama.getGpuDeviceNames()]);
    return { gpu, names, vramBytes: vram.total, unifiedMemory: vram.unifiedSize > 0 };
  } finally {
    await llama.dispose();
  }
};

/**
 * This machine as the recommendation needs it: the shared hardware probe (cores, memory, GPU
 * backends node-llama-cpp and whisper.cpp can use) plus VRAM and the models folder's free space.
 */
export async function probeHardware(
  modelsDir: string,
  probes: { machine?: MachineProbe; gpu?: GpuProbe } = {},
): Promise<HardwareInfo> {
  const warnings: string[] = [];
  const machine = await (probes.machine ?? probeMachine)();
  let report = CPU_ONLY;
  try {
    report = await (probes.gpu ?? llamaGpuProbe)(machine.llamaGpuTypes);
  } catch (error) {
    warnings.push(`GPU details unavailable, assuming CPU only: ${(error as Error).message}`);
  }
  const freeDisk = await freeDiskBytes(modelsDir);
  if (freeDisk === null) warnings.push(`Could not read the free space at ${modelsDir}`);
  return {
    platform: machine.platform,
    arch: machine.arch,
    cpuModel: machine.cpuModel,
    cpuCores: machine.logicalCores,
    physicalCores: machine.physicalCores,
    totalRamBytes: machine.totalMemoryMb * 2 ** 20,
    freeRamBytes: machine.freeMemoryMb * 2 ** 20,
    llamaGpu: report.gpu,
    gpuNames: report.names,
    vramBytes: report.vramBytes,
    unifiedMemory: report.unifiedMemory,
    whisperGpuBuilds: machine.whisperBuilds.filter((b): b is 'cuda' | 'vulkan' => b !== 'default'),
    whisperGpu: machine.whisperGpu,
    modelsDir,
    freeDiskBytes: freeDisk,
    probedAt: new Date().toISOString(),
    warnings,
  };
}
