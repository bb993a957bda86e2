// A lazily opened switch session shared by the steps of one job.

import type { SwitchDriver } from '../drivers/switch/driver';

/**
 * Opens the connection on first use (so a login failure is journaled against
 * the step that needed the device) and reuses it for every later step.
 */
export class SwitchSession {
  private pending?: Promise<SwitchDriver>;
  private opened?: SwitchDriver;

  constructor(private readonly open: () => Promise<SwitchDriver>) {}

  /** The connected driver; rejects with the connection error (a later call tries again). */
  get(): Promise<SwitchDriver> {
    this.pending ??= this.open().then(
      (d) => (this.opened = d),
      (err) => {
        this.pending = undefined;
        throw err;
      },
    );
    return this.pending;
  }

  /** Closes the session if it was opened; rejects with the driver's close error. */
  async close(): Promise<void> {
    const driver = this.opened;
    this.pending = this.opened = undefined;
    await driver?.close();
  }
}
