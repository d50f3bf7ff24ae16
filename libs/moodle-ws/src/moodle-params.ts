export type MoodleParamValue =
  | string
  | number
  | boolean
  | null
  | undefined
  | MoodleParamValue[]
  | { [key: string]: MoodleParamValue };

/**
 * Form-encodes web service parameters the way Moodle's REST server reads them through PHP's
 * `$_POST`: nested keys in brackets (`courseids[0]=2`, `options[0][name]=excludecontents`) and
 * booleans as 1/0 (PARAM_BOOL). Null and undefined are left out so Moodle applies its defaults.
 */
export function encodeMoodleParams(params: Record<string, MoodleParamValue>, into = new URLSearchParams()) {
  const append = (key: string, value: MoodleParamValue): void => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      value.forEach((item, index) => append(`${key}[${index}]`, item));
    } else if (typeof value === 'object') {
      for (const [name, item] of Object.entries(value)) append(`${key}[${name}]`, item);
    } else if (typeof value === 'boolean') {
      into.append(key, value ? '1' : '0');
    } else {
      into.append(key, String(value));
    }
  };
  for (const [key, value] of Object.entries(params)) append(key, value);
  return into;
}
