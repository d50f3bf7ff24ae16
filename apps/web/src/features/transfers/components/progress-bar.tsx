interface ProgressBarProps {
  /** The bar's accessible name, as text or as the id of the element that shows it. */
  label?: string;
  labelledBy?: string;
  /** 0 to 1. */
  fraction: number;
  /** What a screen reader says for the value, e.g. "1.2 MB of 5 MB (24%)". */
  valueText: string;
}

/** A progress bar in percent; it shows 100 only when the whole is done. */
export function ProgressBar({ label, labelledBy, fraction, valueText }: ProgressBarProps) {
  const percent = Math.floor(Math.min(1, Math.max(0, fraction)) * 100);
  return (
    <div
      className="progress"
      role="progressbar"
      aria-label={label}
      aria-labelledby={labelledBy}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={valueText}
    >
      <div className="progress__fill" style={{ width: `${percent}%` }} />
    </div>
  );
}
