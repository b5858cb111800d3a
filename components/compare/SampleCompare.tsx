"use client";

import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import styles from "./Compare.module.css";
import { clockFrame, newClock, pause, play, seek, wrapFrame, type FrameClock } from "./frameClock";
import { canDecode, decodeVideo, type DecodedVideo } from "./gifFrames";
import { nearestStep, sliderIndex, sliderSteps } from "./steps";
import type { CompareSample } from "./types";

export interface SampleRun {
  id: string;
  name: string;
  color: string;
}

interface Props {
  runs: SampleRun[];
  samples: CompareSample[];
  /** the step asked for (the URL's); null: the latest */
  step: number | null;
  onStep: (step: number) => void;
}

// When a sample says nothing about its speed: GIF players show 100 ms frames by default too.
const DEFAULT_FRAME_MS = 100;

/**
 * The runs' videos side by side, one row per sample name, at one step: a slider moves over every step any run logged
 * and each run shows its nearest. Every video is drawn frame by frame from one clock, so play, pause and scrubbing
 * move them together.
 */
export function SampleCompare({ runs, samples, step, onStep }: Props) {
  const steps = useMemo(() => sliderSteps(samples), [samples]);
  const index = sliderIndex(steps, step);
  const shownStep = steps[index];
  const names = useMemo(() => [...new Set(samples.map((s) => s.name))].sort(), [samples]);
  const byRunAndName = useMemo(() => {
    const m = new Map<string, CompareSample[]>();
    for (const s of [...samples].sort((a, b) => a.step - b.step)) {
      const k = `${s.runId}\u0000${s.name}`;
      m.set(k, [...(m.get(k) ?? []), s]);
    }
    return m;
  }, [samples]);
  const shown = (runId: string, name: string) => nearestStep(byRunAndName.get(`${runId}\u0000${name}`) ?? [], shownStep);

  const fps = samples.find((s) => s.fps && s.fps > 0)?.fps;
  const clock = useRef<FrameClock | null>(null);
  const [frame, setFrame] = useState(0);
  const [playing, setPlaying] = useState(true);
  const [frameMs, setFrameMs] = useState(fps ? 1000 / fps : DEFAULT_FRAME_MS);

  // The shared clock: one animation loop sets the frame index every video draws.
  useEffect(() => {
    clock.current = clock.current ? { ...clock.current, frameMs } : newClock(frameMs, performance.now());
    if (!playing) return;
    let raf = 0;
    const tick = () => {
      if (clock.current) setFrame(clockFrame(clock.current, performance.now()));
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [playing, frameMs]);

  const maxFrames = Math.max(
    1,
    ...runs.flatMap((r) => names.map((n) => shown(r.id, n)?.frames ?? 1)),
  );
  const togglePlay = () => {
    const now = performance.now();
    const c = clock.current ?? newClock(frameMs, now);
    clock.current = playing ? pause(c, now) : play(c, now);
    setPlaying(!playing);
  };
  const scrub = (k: number) => {
    const now = performance.now();
    clock.current = seek(clock.current ?? newClock(frameMs, now, playing), k, now);
    setFrame(k);
  };
  // The first decoded GIF sets the pace when the samples do not carry an fps.
  const onFrameMs = (ms: number | null) => {
    if (!fps && ms && ms > 0) setFrameMs((prev) => (prev === DEFAULT_FRAME_MS ? ms : prev));
  };

  if (samples.length === 0) return <p className={styles.empty}>None of these runs logged samples.</p>;
  return (
    <div className={styles.samples}>
      <div className={styles.controls}>
        <label className={styles.control}>
          <span>Step</span>
          <input
            type="range"
            min={0}
            max={steps.length - 1}
            step={1}
            value={index}
            disabled={steps.length < 2}
            onChange={(e) => onStep(steps[Number(e.target.value)])}
            aria-label="Sample step"
            aria-valuetext={`step ${shownStep}`}
          />
          <output data-testid="slider-step">{shownStep}</output>
        </label>
        <button type="button" onClick={togglePlay} aria-pressed={playing}>
          {playing ? "Pause" : "Play"}
        </button>
        <label className={styles.control}>
          <span>Frame</span>
          <input
            type="range"
            min={0}
            max={maxFrames - 1}
            step={1}
            value={wrapFrame(frame, maxFrames)}
            onChange={(e) => scrub(Number(e.target.value))}
            aria-label="Frame"
          />
          <output data-testid="frame">{wrapFrame(frame, maxFrames) + 1}</output>
          <span className="muted">/ {maxFrames}</span>
        </label>
      </div>
      {names.map((name) => (
        <section key={name} className={styles.sampleRow} data-sample-name={name}>
          <h3 className={styles.sampleName}>{name}</h3>
          <div className={styles.sampleGrid}>
            {runs.map((run) => {
              const sample = shown(run.id, name);
              return (
                <figure key={run.id} className={styles.videoCell} data-run-id={run.id} data-shown-step={sample?.step ?? ""}>
                  <figcaption className={styles.videoHead}>
                    <span className={styles.swatch} style={{ background: run.color }} aria-hidden="true" />
                    <span className={styles.runName}>{run.name}</span>
                    <span className="muted">{sample ? `step ${sample.step}` : "no sample"}</span>
                  </figcaption>
                  {sample ? <Video sample={sample} frame={frame} onFrameMs={onFrameMs} /> : <div className={styles.noVideo} />}
                </figure>
              );
            })}
          </div>
        </section>
      ))}
    </div>
  );
}

const noSubscription = () => () => {};

// Generated videos are tiny (e.g. 64×64): scale them up by whole factors, drawn with crisp pixels.
const TARGET_PX = 192;

function Video({ sample, frame, onFrameMs }: { sample: CompareSample; frame: number; onFrameMs: (ms: number | null) => void }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [decoded, setDecoded] = useState<{ id: string; video: DecodedVideo } | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The server draws a canvas for a GIF; a browser without a frame decoder swaps in an <img> after hydrating.
  const decodable = useSyncExternalStore(
    noSubscription,
    () => canDecode(sample.mime),
    () => sample.mime === "image/gif",
  );
  const report = useRef(onFrameMs);
  useEffect(() => {
    report.current = onFrameMs;
  });

  useEffect(() => {
    if (!decodable) return;
    let live = true;
    decodeVideo(sample.url, sample.mime).then(
      (video) => {
        if (!live) return;
        setDecoded({ id: sample.id, video });
        report.current(video.frameMs);
      },
      (err: unknown) => live && setError(String(err)),
    );
    return () => {
      live = false;
    };
  }, [decodable, sample.id, sample.url, sample.mime]);

  // Until the new step's frames are decoded the canvas keeps the old picture: no blank flash while scrubbing steps.
  useEffect(() => {
    const el = canvas.current;
    if (!el || !decoded) return;
    const { frames, width, height } = decoded.video;
    if (frames.length === 0) return;
    if (el.width !== width || el.height !== height) {
      el.width = width;
      el.height = height;
    }
    const i = wrapFrame(frame, frames.length);
    el.getContext("2d")?.drawImage(frames[i], 0, 0);
    el.dataset.frame = String(i);
    el.dataset.sampleId = decoded.id;
  }, [decoded, frame]);

  const w = sample.width ?? decoded?.video.width ?? 64;
  const h = sample.height ?? decoded?.video.height ?? 64;
  const scale = Math.max(1, Math.floor(TARGET_PX / w));
  const style = { width: w * scale, aspectRatio: `${w} / ${h}` };
  const label = `${sample.name} at step ${sample.step}`;
  if (!decodable) {
    // No frame decoder for this format here: the browser plays it on its own clock.
    return sample.mime.startsWith("video/") ? (
      <video className={styles.media} style={style} src={sample.url} loop autoPlay muted playsInline aria-label={label} />
    ) : (
      <img className={styles.media} style={style} src={sample.url} alt={label} />
    );
  }
  return (
    <>
      <canvas ref={canvas} className={styles.media} style={style} width={w} height={h} role="img" aria-label={label} />
      {error ? <p className={styles.chartError}>Could not decode: {error}</p> : null}
    </>
  );
}
