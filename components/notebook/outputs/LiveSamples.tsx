"use client";

import { useMemo, useState } from "react";
import { ImageOutput } from "./ImageOutput";
import styles from "./outputs.module.css";
import { groupSamples, type CellSample } from "./samples";

/** Per key, the latest sample as a looping video with its step, and a slider over every step received. */
export function LiveSamples({ samples }: { samples: readonly CellSample[] }) {
  const groups = useMemo(() => groupSamples(samples), [samples]);
  if (groups.length === 0) return null;
  return (
    <div className={styles.samples}>
      {groups.map(([key, items]) => (
        <SampleStrip key={key} name={key} items={items} />
      ))}
    </div>
  );
}

function SampleStrip({ name, items }: { name: string; items: CellSample[] }) {
  // null follows the latest sample as new ones arrive; a number is a step the user picked and stays put.
  const [picked, setPicked] = useState<number | null>(null);
  const index = picked === null ? items.length - 1 : Math.min(picked, items.length - 1);
  const sample = items[index];
  return (
    <section className={styles.sample} data-sample-key={name} aria-label={`Samples: ${name}`}>
      <header className={styles.boxHead} style={{ margin: 0 }}>
        <span className={styles.boxTitle}>{name}</span>
        <span data-sample-step={sample.step}>
          step {sample.step.toLocaleString("en")}
          {items.length > 1 ? ` · ${index + 1}/${items.length}` : ""}
          {picked === null && items.length > 1 ? " · latest" : ""}
        </span>
      </header>
      <ImageOutput data={sample.data} mime={sample.mime} label={`${name} at step ${sample.step}`} />
      {items.length > 1 ? (
        <input
          type="range"
          className={styles.slider}
          min={0}
          max={items.length - 1}
          step={1}
          value={index}
          onChange={(e) => {
            const i = Number(e.target.value);
            setPicked(i === items.length - 1 ? null : i);
          }}
          aria-label={`${name}: step`}
          aria-valuetext={`step ${sample.step}`}
        />
      ) : null}
    </section>
  );
}
