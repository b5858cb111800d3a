"use client";

import { useCallback, useMemo } from "react";
import { formatBytes, imageSize } from "./format";
import styles from "./outputs.module.css";

// Generated frames are small (32×32, 64×64): whole-number upscaling to about this width, with crisp pixels.
const TARGET_PX = 256;

export interface ImageOutputProps {
  data: Uint8Array;
  mime: string;
  /** Alt text: what the image shows. */
  label: string;
  /** Shown under the image after the size (e.g. "step 1,200"). */
  caption?: string;
}

/** A PNG, or a GIF (a looping video), from bytes: an <img> on an object URL that lives as long as the element. */
export function ImageOutput({ data, mime, label, caption }: ImageOutputProps) {
  const size = useMemo(() => imageSize(data), [data]);
  // A ref callback with a cleanup (React 19): the URL is made when the element mounts and revoked when it goes,
  // or when the bytes change; nothing runs on the server.
  const attach = useCallback(
    (img: HTMLImageElement | null) => {
      if (!img) return;
      const url = URL.createObjectURL(new Blob([data as BlobPart], { type: mime }));
      img.src = url;
      return () => {
        img.removeAttribute("src");
        URL.revokeObjectURL(url);
      };
    },
    [data, mime],
  );
  const scale = size && size.width > 0 ? Math.max(1, Math.floor(TARGET_PX / size.width)) : 1;
  const style = size ? { width: size.width * scale, aspectRatio: `${size.width} / ${size.height}` } : undefined;
  const kind = mime === "image/gif" ? "GIF" : mime.replace(/^image\//, "").toUpperCase();
  const facts = [kind, size ? `${size.width}×${size.height}` : null, scale > 1 ? `shown ×${scale}` : null, formatBytes(data.byteLength), caption];
  return (
    <figure className={styles.box} data-output={mime} style={{ margin: 0, maxWidth: "max-content" }}>
      <img ref={attach} className={styles.media} style={style} alt={label} width={size?.width} height={size?.height} />
      <figcaption className={styles.boxHead} style={{ margin: "6px 0 0" }}>
        {facts.filter(Boolean).join(" · ")}
      </figcaption>
    </figure>
  );
}
