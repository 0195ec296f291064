import type { Catalog, CatalogModel, HardwareInfo, ModelRole, RecommendedPick, Recommendation, SpeedClass } from '../../contracts';
import { downloadBytes, isVerified } from './catalog';
import { formatBytes } from './progress';

export interface RecommendOptions {
  concurrentCalls: number;
  language: string;
  includeUnverified: boolean;
  installed: ReadonlySet<string>;
}

const GIB = 1024 ** 3;
const SPEED_ORDER: SpeedClass[] = ['fastest', 'fast', 'balanced', 'slow'];

/**
 * Picks the largest model set that fits this machine with headroom for `concurrentCalls` calls:
 * memory for the OS first, then VAD and TTS (small), then the language model (the biggest lever on
 * quality, sized after keeping room for the smallest speech-to-text), then the best STT that still
 * fits. On CPU-only machines the cores per call cap how slow a model may be.
 */
export function recommend(catalog: Catalog, hardware: HardwareInfo, options: RecommendOptions): Recommendation {
  const calls = options.concurrentCalls;
  const reserve = Math.max(2 * GIB, Math.round(hardware.totalRamBytes * 0.25));
  const budget = Math.max(0, hardware.totalRamBytes - reserve);
  const dedicatedGpu = hardware.llamaGpu !== null && !hardware.unifiedMemory && hardware.vramBytes > 0;
  let ramLeft = budget;
  let vramLeft = dedicatedGpu ? Math.floor(hardware.vramBytes * 0.9) : 0;
  const coresPerCall = hardware.physicalCores / calls;
  const notes: string[] = [];
  const picks: RecommendedPick[] = [];
  let fits = true;

  const candidates = (role: ModelRole) =>
    catalog.models.filter(
      (m) => m.role === role && (options.includeUnverified || isVerified(m)) && speaks(m, options.language) && downloadBytes(m) !== null,
    );
  const ramCost = (m: CatalogModel) => m.ramBytes + m.perCallRamBytes * calls;

  const choose = (role: ModelRole, ordered: CatalogModel[], keepForLater = 0, why: (m: CatalogModel, cost: number, left: number) => string) => {
    if (ordered.length === 0) {
      notes.push(`The catalog has no ${options.includeUnverified ? '' : 'verified '}${role.toUpperCase()} model for language "${options.language}".`);
      fits = false;
      return;
    }
    for (const model of ordered) {
      const gpu = role === 'llm' && dedicatedGpu && (model.vramBytes ?? model.ramBytes) + model.perCallRamBytes * calls <= vramLeft;
      const cost = gpu ? Math.round(model.ramBytes * 0.2) : ramCost(model);
      if (cost + keepForLater <= ramLeft) {
        if (gpu) vramLeft -= (model.vramBytes ?? model.ramBytes) + model.perCallRamBytes * calls;
        ramLeft -= cost;
        picks.push(pick(model, cost, gpu, why(model, cost, ramLeft + cost)));
        return;
      }
    }
    const smallest = [...ordered].sort((a, b) => ramCost(a) - ramCost(b))[0]!;
    fits = false;
    ramLeft -= ramCost(smallest);
    picks.push(pick(smallest, ramCost(smallest), false, `Even the smallest ${role.toUpperCase()} model needs ${formatBytes(ramCost(smallest))} for ${calls} call${calls > 1 ? 's' : ''}, more than is left.`));
    notes.push(`Not enough memory for ${calls} concurrent calls; try fewer calls or close other programs.`);
  };

  const pick = (model: CatalogModel, cost: number, onGpu: boolean, reason: string): RecommendedPick => ({
    role: model.role,
    modelId: model.id,
    name: model.name,
    downloadBytes: downloadBytes(model) ?? 0,
    ramBytes: cost,
    onGpu,
    installed: options.installed.has(model.id),
    reason,
  });

  const memoryText = (m: CatalogModel) =>
    `${formatBytes(m.ramBytes)} shared + ${calls} × ${formatBytes(m.perCallRamBytes)} per call`;

  // VAD: the catalog lists the preferred detector first; all are tiny.
  choose('vad', candidates('vad'), 0, (m) => `${m.name}: the standard speech detector; ${memoryText(m)}.`);

  // TTS: on CPU the smaller build is the quicker one; with a GPU take the full-precision build.
  const tts = candidates('tts').sort((a, b) => (dedicatedGpu ? b.ramBytes - a.ramBytes : a.ramBytes - b.ramBytes));
  choose('tts', tts, 0, (m) => `${m.name}: ${dedicatedGpu ? 'best quality, the GPU has room' : 'the lighter build runs fastest on a CPU'}; ${memoryText(m)}.`);

  // LLM: largest that fits, within the speed this machine can sustain for every call.
  const sttAll = candidates('stt');
  const sttFloor = sttAll.length ? Math.min(...sttAll.map(ramCost)) : 0;
  const llmCeiling = hardware.llamaGpu !== null ? 'slow' : coresPerCall >= 6 ? 'slow' : coresPerCall >= 4 ? 'balanced' : coresPerCall >= 2 ? 'fast' : 'fastest';
  const llms = rank(candidates('llm').filter((m) => within(m.speedClass, llmCeiling)), catalog, false);
  choose('llm', llms, sttFloor, (m, cost, left) => {
    const where = cost < ramCost(m) ? `on the ${hardware.llamaGpu?.toUpperCase()} GPU (${formatBytes(hardware.vramBytes)} VRAM)` : `in memory (${formatBytes(left)} left for models)`;
    const speed = hardware.llamaGpu !== null ? `the ${hardware.llamaGpu} GPU runs it` : `${hardware.physicalCores} CPU cores for ${calls} call${calls > 1 ? 's' : ''} allow models up to "${llmCeiling}" speed`;
    return `${m.name}: the largest language model that fits ${calls} concurrent call${calls > 1 ? 's' : ''} ${where}: ${memoryText(m)}; ${speed}.`;
  });

  // STT: best accuracy the cores and remaining memory allow; English-only models first for English.
  const whisperGpu = hardware.whisperGpu;
  const sttCeiling = whisperGpu ? 'slow' : coresPerCall >= 4 ? 'balanced' : coresPerCall >= 2 ? 'fast' : 'fastest';
  const english = options.language === 'en';
  const stts = rank(sttAll.filter((m) => within(m.speedClass, sttCeiling)), catalog, english);
  choose('stt', stts, 0, (m) => {
    const lang = m.languages.includes('multilingual') ? 'multilingual' : `${m.languages.join('/')} only`;
    return `${m.name} (${lang}): the most accurate speech model ${whisperGpu ? 'for the GPU' : `that ${hardware.physicalCores} cores can run for ${calls} call${calls > 1 ? 's' : ''} in real time`}; ${memoryText(m)}.`;
  });

  if (hardware.llamaGpu === null) notes.push('No GPU found: everything runs on the CPU. A CUDA, Vulkan or Metal GPU allows larger models.');
  const totalDownload = picks.filter((p) => !p.installed).reduce((n, p) => n + p.downloadBytes, 0);
  if (hardware.freeDiskBytes !== null && totalDownload > hardware.freeDiskBytes) {
    fits = false;
    notes.push(`The downloads need ${formatBytes(totalDownload)} but only ${formatBytes(hardware.freeDiskBytes)} is free on the disk.`);
  }
  const order: ModelRole[] = ['stt', 'llm', 'tts', 'vad'];
  picks.sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role));
  return {
    concurrentCalls: calls,
    language: options.language,
    budgetBytes: budget,
    picks,
    totalDownloadBytes: totalDownload,
    totalRamBytes: picks.reduce((n, p) => n + p.ramBytes, 0),
    fits,
    notes,
    hardware,
  };
}

function speaks(model: CatalogModel, language: string): boolean {
  return model.languages.includes('multilingual') || model.languages.includes(language);
}

function within(speed: SpeedClass, ceiling: SpeedClass): boolean {
  return SPEED_ORDER.indexOf(speed) <= SPEED_ORDER.indexOf(ceiling);
}

/**
 * Best first: slower speed classes are the larger, more capable models; within a class the catalog
 * lists models from plainest to preferred; for English, English-only speech models beat multilingual
 * ones of the same class.
 */
function rank(models: CatalogModel[], catalog: Catalog, preferEnglish: boolean): CatalogModel[] {
  const position = (m: CatalogModel) => catalog.models.indexOf(m);
  const englishOnly = (m: CatalogModel) => (preferEnglish && m.languages.includes('en') && !m.languages.includes('multilingual') ? 1 : 0);
  return [...models].sort(
    (a, b) =>
      SPEED_ORDER.indexOf(b.speedClass) - SPEED_ORDER.indexOf(a.speedClass) || englishOnly(b) - englishOnly(a) || position(b) - position(a),
  );
}
