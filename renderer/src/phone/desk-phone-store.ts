import { create } from 'zustand';
import type { ParleyClient } from '../../../electron/contracts';

/** The parts of the Voice SDK the desk phone uses (a `Call` and a `Device`). */
interface PhoneCall {
  parameters: Record<string, string>;
  customParameters?: Map<string, string>;
  accept(): void;
  reject(): void;
  disconnect(): void;
  mute(muted?: boolean): void;
  on(event: 'accept' | 'disconnect' | 'cancel' | 'reject' | 'error', listener: (...args: unknown[]) => void): unknown;
}
interface PhoneDevice {
  register(): Promise<void>;
  unregister(): Promise<void>;
  destroy(): void;
  updateToken(token: string): void;
  connect(options: { params: Record<string, string> }): Promise<PhoneCall>;
  on(event: 'registered' | 'unregistered' | 'error' | 'incoming' | 'tokenWillExpire', listener: (...args: never[]) => void): unknown;
}

export type PhoneStatus = 'off' | 'starting' | 'ready' | 'ringing' | 'calling' | 'in-call' | 'error';

interface DeskPhoneState {
  status: PhoneStatus;
  detail: string;
  /** Who is on the other end (a number, or the transferred caller). */
  peer: string | null;
  muted: boolean;
  turnOn(client: ParleyClient): Promise<void>;
  turnOff(): Promise<void>;
  answer(): void;
  decline(): void;
  hangUp(): void;
  toggleMute(): void;
  /** Click-to-call: the call goes out through the line's TwiML App, from the office's number. */
  dial(number: string): Promise<void>;
}

let device: PhoneDevice | undefined;
let call: PhoneCall | undefined;

/**
 * The desk agent's own phone (Twilio Voice SDK): registered with a short-lived token the engine mints
 * for the signed-in user, it rings for transfers accepted "on my phone" and places click-to-call
 * calls. Audio goes between the browser and Twilio directly.
 */
export const useDeskPhone = create<DeskPhoneState>((set, get) => {
  const follow = (c: PhoneCall, peer: string) => {
    call = c;
    set({ peer, muted: false });
    c.on('accept', () => set({ status: 'in-call' }));
    const over = (why: string) => () => {
      if (call !== c) return;
      call = undefined;
      set({ status: device ? 'ready' : 'off', detail: why, peer: null, muted: false });
    };
    c.on('disconnect', over('Call ended'));
    c.on('cancel', over('The caller hung up before you answered'));
    c.on('reject', over('Declined'));
    c.on('error', (error) => set({ detail: `Call problem: ${(error as Error).message}` }));
  };
  return {
    status: 'off',
    detail: '',
    peer: null,
    muted: false,
    async turnOn(client) {
      if (device) return;
      set({ status: 'starting', detail: 'Getting a phone token…' });
      try {
        const [{ token }, sdk] = await Promise.all([client.call('phone.token', {}), import('./voice-sdk')]);
        const d = new sdk.Device(token, { closeProtection: true }) as unknown as PhoneDevice;
        d.on('registered', () => set({ status: 'ready', detail: 'Your phone is on: transfers you accept ring here' }));
        d.on('unregistered', () => set({ status: 'off', detail: 'Your phone is off' }));
        d.on('error', (error: { message?: string }) => set({ detail: `Phone problem: ${error.message ?? String(error)}` }));
        d.on('incoming', (incoming: PhoneCall) => {
          if (call) return incoming.reject();
          follow(incoming, incoming.parameters.From ?? 'a caller');
          set({ status: 'ringing', detail: 'Incoming call' });
        });
        d.on('tokenWillExpire', () => void client.call('phone.token', {}).then(({ token: next }) => d.updateToken(next), () => set({ detail: 'The phone token could not be renewed: turn the phone off and on' })));
        device = d;
        await d.register();
      } catch (error) {
        device?.destroy();
        device = undefined;
        set({ status: 'error', detail: (error as Error).message });
      }
    },
    async turnOff() {
      call?.disconnect();
      call = undefined;
      const d = device;
      device = undefined;
      await d?.unregister().catch(() => undefined);
      d?.destroy();
      set({ status: 'off', detail: 'Your phone is off', peer: null });
    },
    answer() {
      call?.accept();
    },
    decline() {
      call?.reject();
    },
    hangUp() {
      call?.disconnect();
    },
    toggleMute() {
      if (!call) return;
      const muted = !get().muted;
      call.mute(muted);
      set({ muted });
    },
    async dial(number) {
      if (!device || call) return;
      set({ status: 'calling', detail: `Calling ${number}…` });
      try {
        follow(await device.connect({ params: { To: number } }), number);
      } catch (error) {
        set({ status: 'ready', detail: `The call did not go out: ${(error as Error).message}` });
      }
    },
  };
});
