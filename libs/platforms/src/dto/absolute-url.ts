import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * An absolute http(s) URL. Whether plain http is acceptable depends on the configuration
 * (ALLOW_INSECURE_PLATFORM_URLS), so PlatformsService checks the scheme itself.
 */
export function IsAbsoluteHttpUrl(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isAbsoluteHttpUrl',
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string' || !URL.canParse(value)) return false;
          return ['http:', 'https:'].includes(new URL(value).protocol);
        },
        defaultMessage: () => '$property must be an absolute https:// URL',
      },
    },
    options,
  );
}
