export { createEngine, type Engine, type EngineOptions } from './engine';
export { ManualClock, systemClock, type Clock } from './clock';
export type { Logger } from './logging';
