import { join } from 'node:path';
import { ParleyError, type InstalledModel, type ModelEngine, type ModelRole } from '../../contracts';

/** What a call needs to open the active model of a role. */
export interface ActiveModel {
  readonly modelId: string;
  readonly role: ModelRole;
  readonly name: string;
  readonly engine: ModelEngine;
  readonly dir: string;
  /** The file the engine opens (the catalog's first file); other files sit beside it in `dir`. */
  readonly primaryPath: string;
  readonly files: readonly { path: string; absolutePath: string }[];
  /** Goes up by one on every switch of this role, so a holder can tell it has an older model. */
  readonly generation: number;
}

/** Keeps a model's files from being removed while a call uses it. */
export interface ModelLease {
  readonly model: ActiveModel;
  release(): void;
}

type Listener = (role: ModelRole, model: ActiveModel | undefined) => void;

/**
 * The active model per role, switchable without a restart. New calls read `current(role)` (or take
 * a lease with `acquire(role)`) when they start and keep what they got; a switch only changes what
 * the next call sees, so calls in progress finish on the model they started with.
 */
export class ActiveModels {
  private readonly byRole = new Map<ModelRole, ActiveModel>();
  private readonly generations = new Map<ModelRole, number>();
  private readonly leases = new Map<string, number>();
  private readonly listeners = new Set<Listener>();

  current(role: ModelRole): ActiveModel | undefined {
    return this.byRole.get(role);
  }

  /** The active model of `role`, held until `release()`; the manager will not remove a held model. */
  acquire(role: ModelRole): ModelLease {
    const model = this.byRole.get(role);
    if (!model) throw new ParleyError('unavailable', `No ${role} model is active. Install one with the model manager (parley models download).`);
    this.leases.set(model.modelId, (this.leases.get(model.modelId) ?? 0) + 1);
    let released = false;
    return {
      model,
      release: () => {
        if (released) return;
        released = true;
        const left = (this.leases.get(model.modelId) ?? 1) - 1;
        if (left <= 0) this.leases.delete(model.modelId);
        else this.leases.set(model.modelId, left);
      },
    };
  }

  /** How many leases hold `modelId`. */
  holders(modelId: string): number {
    return this.leases.get(modelId) ?? 0;
  }

  /** Calls `listener` after every switch; returns the unsubscribe function. */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Brings the in-memory view in line with the registry (called by the manager after each write). */
  sync(installed: InstalledModel[]): ModelRole[] {
    const changed: ModelRole[] = [];
    const activeByRole = new Map(installed.filter((m) => m.active).map((m) => [m.role, m]));
    const roles = new Set<ModelRole>([...this.byRole.keys(), ...activeByRole.keys()]);
    for (const role of roles) {
      const next = activeByRole.get(role);
      const previous = this.byRole.get(role);
      if (previous?.modelId === next?.id && previous?.dir === next?.dir) continue;
      if (next) {
        const generation = (this.generations.get(role) ?? 0) + 1;
        this.generations.set(role, generation);
        this.byRole.set(role, toActive(next, generation));
      } else {
        this.byRole.delete(role);
      }
      changed.push(role);
    }
    for (const role of changed) {
      const model = this.byRole.get(role);
      for (const listener of this.listeners) {
        try {
          listener(role, model);
        } catch {
          // a broken listener must not stop a switch
        }
      }
    }
    return changed;
  }
}

function toActive(model: InstalledModel, generation: number): ActiveModel {
  return Object.freeze({
    modelId: model.id,
    role: model.role,
    name: model.name,
    engine: model.engine,
    dir: model.dir,
    primaryPath: model.primaryPath,
    files: Object.freeze(model.files.map((f) => Object.freeze({ path: f.path, absolutePath: join(model.dir, f.path) }))),
    generation,
  });
}
