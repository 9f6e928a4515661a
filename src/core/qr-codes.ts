import { setImmediate as nextTurn } from "node:timers/promises";
import { LRUCache } from "lru-cache";

/**
 * PNG data URLs of QR codes. Drawing one takes ~10 ms of CPU, so each text is drawn once (a pending
 * real-name check's code is shown on every account-center load; lru-cache also shares one drawing
 * between requests that ask at the same time) and each drawing waits for its own turn of the event
 * loop, so a request asking for several never holds the loop for all of them in a row.
 */
export class QrCodes {
  private readonly drawn = new LRUCache<string, string>({
    // Data URLs are ASCII: about 4 MB of memory at most.
    maxSize: 4_000_000,
    sizeCalculation: (dataUrl) => dataUrl.length,
    // Every text shown is short-lived (a pending check, an enrolment, an authorization's state).
    ttl: 30 * 60 * 1000,
    fetchMethod: async (text) => {
      // Loaded on first use: its 57 modules would add ~0.1 s to every start-up.
      const [{ default: QRCode }] = await Promise.all([import("qrcode"), nextTurn()]);
      return QRCode.toDataURL(text, { errorCorrectionLevel: "M", margin: 2 });
    },
  });

  async dataUrl(text: string): Promise<string> {
    const dataUrl = await this.drawn.fetch(text);
    if (dataUrl === undefined) throw new Error("QR code drawing was aborted");
    return dataUrl;
  }
}

/** One per process: the drawings are the same for every server and request. */
export const qrCodes = new QrCodes();
