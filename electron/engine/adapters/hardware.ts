import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';

export type GpuType = 'cuda' | 'vulkan' | 'metal';

export interface HardwareProbe {
  platform: NodeJS.Platform;
  arch: string;
  cpuModel: string;
  logicalCores: number;
  /** Cores without SMT siblings: the right default for model threads (more threads than cores is far slower). */
  physicalCores: number;
  totalMemoryMb: number;
  freeMemoryMb: number;
  /** GPU backends node-llama-cpp can use here (prebuilt binary present and drivers found). */
  llamaGpuTypes: GpuType[];
  /** whisper.node builds installed for this platform; 'default' is CPU (Metal on Apple silicon). */
  whisperBuilds: Array<'default' | 'vulkan' | 'cuda'>;
  /** True when whisper can run on a GPU here: a GPU build is installed and its backend's drivers are present. */
  whisperGpu: boolean;
}

/** Physical cores from /proc/cpuinfo (unique physical id + core id); other systems report logical cores. */
export async function physicalCoreCount(): Promise<number> {
  const logical = os.availableParallelism();
  if (process.platform !== 'linux') return logical;
  try {
    const text = await readFile('/proc/cpuinfo', 'utf8');
    const cores = new Set<string>();
    for (const block of text.split(/\n\s*\n/)) {
      const physical = /^physical id\s*:\s*(\d+)/m.exec(block)?.[1];
      const core = /^core id\s*:\s*(\d+)/m.exec(block)?.[1];
      if (physical !== undefined && core !== undefined) cores.add(`${physical}:${core}`);
    }
    return cores.size > 0 ? Math.min(cores.size, logical) : logical;
  } catch {
    return logical;
  }
}

function installedWhisperBuilds(): Array<'default' | 'vulkan' | 'cuda'> {
  const require = createRequire(import.meta.url);
  const base = `@fugood/node-whisper-${process.platform}-${process.arch}`;
  const builds: Array<'default' | 'vulkan' | 'cuda'> = [];
  for (const [variant, name] of [['default', base], ['vulkan', `${base}-vulkan`], ['cuda', `${base}-cuda`]] as const) {
    try {
      require.resolve(`${name}/package.json`);
      builds.push(variant);
    } catch {
      // not installed for this platform
    }
  }
  return builds;
}

async function llamaGpuTypes(): Promise<GpuType[]> {
  try {
    const { getLlamaGpuTypes } = await import('node-llama-cpp');
    const types = await getLlamaGpuTypes('supported');
    return types.filter((type): type is GpuType => type === 'cuda' || type === 'vulkan' || type === 'metal');
  } catch {
    return [];
  }
}

/** What this machine offers the models; the model manager turns it into recommendations. */
export async function probeHardware(): Promise<HardwareProbe> {
  const [physicalCores, gpuTypes] = await Promise.all([physicalCoreCount(), llamaGpuTypes()]);
  const whisperBuilds = installedWhisperBuilds();
  const appleSilicon = process.platform === 'darwin' && process.arch === 'arm64';
  const whisperGpu =
    (appleSilicon && whisperBuilds.includes('default')) ||
    (whisperBuilds.includes('cuda') && gpuTypes.includes('cuda')) ||
    (whisperBuilds.includes('vulkan') && gpuTypes.includes('vulkan'));
  return {
    platform: process.platform,
    arch: process.arch,
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    logicalCores: os.availableParallelism(),
    physicalCores,
    totalMemoryMb: Math.round(os.totalmem() / 2 ** 20),
    freeMemoryMb: Math.round(os.freemem() / 2 ** 20),
    llamaGpuTypes: gpuTypes,
    whisperBuilds,
    whisperGpu,
  };
}
