// Must fail the layering lint when placed under electron/engine: the engine is plain Node.
import { app } from 'electron';

export const dataDir = app.getPath('userData');
