import type { DataSource } from "typeorm";
import type { BackgroundTasks } from "../../core/background";
import type { Clock } from "../../core/clock";
import type { Logger } from "../../core/logger";
import { IdentityEntity } from "../../entities";
import { failureLogLevel, ProviderError } from "../../providers/provider-error";
import type { Providers } from "../../providers/registry";
import type { SecurityNoticeEvent } from "../../providers/types";
import { noticeEmail } from "./notice-messages";

export interface NoticeRecipient {
  readonly kind: "EMAIL" | "PHONE";
  readonly address: string;
}

/**
 * Tells the owner about a security change on their bound email (or, without one, their phone), and
 * on any address the change took away. Sent after the change commits, in the background: a notice
 * that cannot be delivered never undoes or delays the change.
 */
export class NoticeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly providers: Providers,
    private readonly background: BackgroundTasks,
  ) {}

  notify(accountId: string, event: SecurityNoticeEvent, formerAddresses: NoticeRecipient[] = []): void {
    const when = this.clock.now();
    this.background.run(`notice:${event}`, async () => {
      const identities = await this.dataSource.getRepository(IdentityEntity).findBy({ accountId });
      const email = identities.find((identity) => identity.kind === "EMAIL");
      const phone = identities.find((identity) => identity.kind === "PHONE");
      const primary: NoticeRecipient[] = email
        ? [{ kind: "EMAIL", address: email.subject }]
        : phone
          ? [{ kind: "PHONE", address: phone.subject }]
          : [];
      const recipients = [...primary, ...formerAddresses.filter((former) => !primary.some((p) => p.address === former.address))];
      for (const recipient of recipients) await this.send(recipient, event, when);
    });
  }

  private async send(recipient: NoticeRecipient, event: SecurityNoticeEvent, when: Date): Promise<void> {
    try {
      if (recipient.kind === "EMAIL") await this.providers.email.send(recipient.address, noticeEmail(event, when));
      else await this.providers.sms.send(recipient.address, { kind: "NOTICE", event });
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      this.logger[failureLogLevel(error)]({ event, channel: recipient.kind, code: error.code, vendorCode: error.vendorCode, reason: error.message }, "security notice not sent");
    }
  }
}
