"use client";

import { useState } from "react";
import type { SampleView } from "@/lib/tracker/samples";
import styles from "./SampleGallery.module.css";

/** The part of the tracker's sample record the gallery shows. */
export type SampleItem = Pick<SampleView, "id" | "name" | "step" | "mime" | "width" | "height" | "frames" | "url">;

/** Sample videos grouped by name; each group has a step slider. The server passes items sorted by name, step. */
export function SampleGallery({ samples }: { samples: SampleItem[] }) {
  if (samples.length === 0) return <p className={styles.empty}>No samples logged.</p>;
  const groups = new Map<string, SampleItem[]>();
  for (const s of samples) groups.set(s.name, [...(groups.get(s.name) ?? []), s]);
  return (
    <div className={styles.grid}>
      {[...groups].map(([name, items]) => (
        <SampleGroup key={name} name={name} items={items} />
      ))}
    </div>
  );
}

function SampleGroup({ name, items }: { name: string; items: SampleItem[] }) {
  // Start at the latest step: that is what one opens a run to see.
  const [index, setIndex] = useState(items.length - 1);
  const sample = items[Math.min(index, items.length - 1)];
  return (
    <figure className={styles.card} data-sample-name={name}>
      <figcaption className={styles.head}>
        <span className={styles.name}>{name}</span>
        <span className={styles.step}>
          step {sample.step}
          {items.length > 1 ? ` · ${index + 1}/${items.length}` : ""}
        </span>
      </figcaption>
      <div className={styles.stage}>
        <SampleMedia sample={sample} />
      </div>
      {items.length > 1 ? (
        <input
          type="range"
          className={styles.slider}
          min={0}
          max={items.length - 1}
          step={1}
          value={index}
          onChange={(e) => setIndex(Number(e.target.value))}
          aria-label={`${name}: step`}
        />
      ) : null}
      <p className={styles.detail}>{describe(sample)}</p>
    </figure>
  );
}

// Generated videos are tiny (e.g. 64×64): scale them up by whole factors, drawn with crisp pixels.
const TARGET_PX = 256;

function SampleMedia({ sample }: { sample: SampleItem }) {
  const src = sample.url;
  const scale = sample.width ? Math.max(1, Math.floor(TARGET_PX / sample.width)) : 1;
  const style = sample.width && sample.height ? { width: sample.width * scale, aspectRatio: `${sample.width} / ${sample.height}` } : undefined;
  if (sample.mime.startsWith("video/")) {
    // `key` makes the element restart when the slider moves; muted is required for autoplay.
    return <video key={sample.id} className={styles.media} style={style} src={src} loop autoPlay muted playsInline controls />;
  }
  // GIF (and APNG) loop on their own.
  return <img key={sample.id} className={styles.media} style={style} src={src} alt={`${sample.name} at step ${sample.step}`} />;
}

function describe(s: SampleItem): string {
  const parts = [s.mime.replace(/^(image|video)\//, "").toUpperCase()];
  if (s.width && s.height) parts.push(`${s.width}×${s.height}`);
  if (s.frames) parts.push(`${s.frames} frames`);
  return parts.join(" · ");
}
