import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { physicalCoreCount, probeHardware } from '../../../electron/engine/adapters/hardware';

describe('hardware probe', () => {
  it('reports cores, memory and the GPU backends the model runtimes can use here', async () => {
    const probe = await probeHardware();
    console.log(`[hardware] ${JSON.stringify(probe)}`);
    expect(probe.logicalCores).toBe(os.availableParallelism());
    expect(probe.physicalCores).toBeGreaterThanOrEqual(1);
    expect(probe.physicalCores).toBeLessThanOrEqual(probe.logicalCores);
    expect(probe.totalMemoryMb).toBe(Math.round(os.totalmem() / 2 ** 20));
    expect(probe.freeMemoryMb).toBeLessThanOrEqual(probe.totalMemoryMb);
    for (const type of probe.llamaGpuTypes) expect(['cuda', 'vulkan', 'metal']).toContain(type);
    // The CPU build of whisper.node is a dependency for every platform this app ships on.
    expect(probe.whisperBuilds).toContain('default');
    if (probe.llamaGpuTypes.length === 0 && process.platform !== 'darwin') expect(probe.whisperGpu).toBe(false);
    expect(await physicalCoreCount()).toBe(probe.physicalCores);
  });
});
