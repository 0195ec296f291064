/** Keyboard shortcuts of the console. Alt+letter works while typing in the whisper or note box too. */
export const SHORTCUTS = {
  listen: { code: 'KeyL', label: 'Alt+L' },
  whisper: { code: 'KeyW', label: 'Alt+W' },
  barge: { code: 'KeyB', label: 'Alt+B' },
  takeover: { code: 'KeyT', label: 'Alt+T' },
  handBack: { code: 'KeyH', label: 'Alt+H' },
  endCall: { code: 'KeyE', label: 'Alt+E' },
  dnc: { code: 'KeyD', label: 'Alt+D' },
  callback: { code: 'KeyC', label: 'Alt+C' },
  note: { code: 'KeyN', label: 'Alt+N' },
  next: { code: 'ArrowDown', label: 'Alt+↓' },
  previous: { code: 'ArrowUp', label: 'Alt+↑' },
  softphone: { code: 'KeyP', label: 'Alt+P' },
} as const;

export type ShortcutAction = keyof typeof SHORTCUTS;

export function shortcutFor(event: KeyboardEvent): ShortcutAction | undefined {
  if (!event.altKey || event.ctrlKey || event.metaKey) return undefined;
  for (const [action, key] of Object.entries(SHORTCUTS)) if (key.code === event.code) return action as ShortcutAction;
  return undefined;
}

/** "Take over (Alt+T)" for a tooltip. */
export function withShortcut(label: string, action: ShortcutAction): string {
  return `${label} (${SHORTCUTS[action].label})`;
}
