import { In, type EntityManager } from "typeorm";
import type { BackgroundTasks } from "../../core/background";
import type { Clock } from "../../core/clock";
import type { Logger } from "../../core/logger";
import { IdentityEntity } from "../../entities";
import { ContactKind } from "../contact/contact.types";
import { failureLogLevel, ProviderError } from "../../providers/provider-error";
import type { Providers } from "../../providers/registry";
import type { SecurityNoticeEvent } from "../../providers/types";
import { noticeEmail } from "./notice-messages";

export interface NoticeRecipient {
  readonly kind: ContactKind;
  readonly address: string;
}

/** Sends the notice; call it once the change has committed. */
export type SendNotice = () => void;

/**
 * Tells the owner that a way into the account changed: on every email and phone bound before the
 * change (by email, and by SMS where a notice template is configured), and on the address it added.
 */
export class NoticeService {
  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly providers: Providers,
    private readonly background: BackgroundTasks,
  ) {}

  /**
   * The one entry point. Call it inside the change's transaction, before the change: the recipients
   * are read there, so an address the change removes is still told and one a thief adds cannot
   * silence the others. Sending happens after commit, in the background: a notice that cannot be
   * delivered never undoes or delays the change.
   */
  async wayInChanged(manager: EntityManager, accountId: string, event: SecurityNoticeEvent, added?: NoticeRecipient): Promise<SendNotice> {
    const bound = await manager.findBy(IdentityEntity, { accountId, kind: In(Object.values(ContactKind)) });
    const recipients: NoticeRecipient[] = bound.map((identity) => ({ kind: identity.kind as ContactKind, address: identity.subject }));
    if (added && !recipients.some((r) => r.address === added.address)) recipients.push(added);
    const when = this.clock.now();
    return () => {
      this.background.run(`notice:${event}`, async () => {
        for (const recipient of recipients) await this.send(recipient, event, when);
      });
    };
  }

  private async send(recipient: NoticeRecipient, event: SecurityNoticeEvent, when: Date): Promise<void> {
    try {
      if (recipient.kind === ContactKind.EMAIL) await this.providers.email.send(recipient.address, noticeEmail(event, when));
      else await this.providers.sms.send(recipient.address, { kind: "NOTICE", event });
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      this.logger[failureLogLevel(error)](
        { event, channel: recipient.kind, code: error.code, vendorCode: error.vendorCode, reason: error.message },
        "security notice not sent",
      );
    }
  }
}
