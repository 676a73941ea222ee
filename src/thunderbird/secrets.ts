/**
 * Where the BlueMind API key lives: Thunderbird's login manager (through the experiment),
 * encrypted under the user's primary password when one is set. Never storage.local.
 */

export interface SecretStore {
  save(origin: string, login: string, secret: string): Promise<void>;
  read(origin: string, login: string): Promise<string | null>;
  remove(origin: string, login: string): Promise<void>;
}

export function loginManagerSecrets(): SecretStore {
  return {
    save: (origin, login, secret) => messenger.bmcal.saveSecret(origin, login, secret),
    read: (origin, login) => messenger.bmcal.readSecret(origin, login),
    remove: (origin, login) => messenger.bmcal.deleteSecret(origin, login),
  };
}
