import { graphql } from "../gql";
import type { DeviceFieldsFragment } from "../gql/graphql";
import { useI18n } from "../i18n";

/** What DeviceName shows; spread it into a query's `device { ...DeviceFields }`. */
export const DEVICE_FIELDS = graphql(`
  fragment DeviceFields on Device {
    id
    type
    browser {
      id
      name
      version
    }
    os {
      id
      name
      version
    }
  }
`);

/** A device as people say it, e.g. "Chrome 124 · Windows 10 · 电脑": the server parsed the user agent. */
export function DeviceName({ device }: { device: DeviceFieldsFragment }) {
  const { t } = useI18n();
  const { type, browser, os } = device;
  // A browser's major version says enough; an OS's version is short already.
  const parts = [browser && `${browser.name} ${browser.version?.split(".")[0] ?? ""}`, os && `${os.name} ${os.version ?? ""}`];
  const named = parts.filter((part): part is string => Boolean(part)).map((part) => part.trim());
  return <span className="device">{[...named, t(`device.${type}`)].join(" · ")}</span>;
}
