"use client";
// The smoothing weight of TensorBoard's debiased EMA (ema.ts), as every metrics view shows it.
import { MAX_SMOOTHING } from "./ema";
import styles from "./MetricsPanel.module.css";

interface Props {
  value: number;
  onChange(value: number): void;
  className?: string;
}

export function SmoothingSlider({ value, onChange, className = styles.smoothing }: Props) {
  return (
    <label className={className}>
      <span>Smoothing</span>
      <input
        type="range"
        min={0}
        max={MAX_SMOOTHING}
        step={0.01}
        value={value}
        onChange={(e) => onChange(Number(e.target.value))}
        aria-label="Smoothing weight"
      />
      <output className={styles.weight} data-testid="smoothing">
        {value.toFixed(2)}
      </output>
    </label>
  );
}
