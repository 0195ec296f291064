import type { EngineContext, Handler } from './types';

export function modelHandlers(ctx: EngineContext): {
  'models.catalog': Handler<'models.catalog'>;
  'models.hardware': Handler<'models.hardware'>;
  'models.recommend': Handler<'models.recommend'>;
  'models.list': Handler<'models.list'>;
  'models.download': Handler<'models.download'>;
  'models.downloads': Handler<'models.downloads'>;
  'models.cancel': Handler<'models.cancel'>;
  'models.retry': Handler<'models.retry'>;
  'models.import': Handler<'models.import'>;
  'models.use': Handler<'models.use'>;
  'models.remove': Handler<'models.remove'>;
  'models.verifyLoad': Handler<'models.verifyLoad'>;
  'models.setupStatus': Handler<'models.setupStatus'>;
  'models.getSettings': Handler<'models.getSettings'>;
  'models.setSettings': Handler<'models.setSettings'>;
} {
  const { models } = ctx;
  return {
    'models.catalog': () => models.listCatalog(),
    'models.hardware': ({ refresh }) => models.hardware(refresh),
    'models.recommend': (options) => models.recommend(options),
    'models.list': () => models.list(),
    'models.download': ({ modelId, trustUnverified, url }) => models.download(modelId, { trustUnverified, ...(url ? { url } : {}) }),
    'models.downloads': async () => models.listDownloads(),
    'models.cancel': async ({ jobId }) => models.cancelDownload(jobId),
    'models.retry': ({ jobId }) => models.retryDownload(jobId),
    'models.import': ({ folder, mode, trustUnverified }) => models.importFolder(folder, { mode, trustUnverified }),
    'models.use': ({ modelId }) => models.use(modelId),
    'models.remove': async ({ modelId }) => {
      await models.remove(modelId);
      return { modelId };
    },
    'models.verifyLoad': ({ modelId }) => models.verifyLoad(modelId),
    'models.setupStatus': () => models.setupStatus(),
    'models.getSettings': () => models.settings(),
    'models.setSettings': (patch) => models.updateSettings(patch),
  };
}
