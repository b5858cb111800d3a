// Size limits of request bodies. Checked from Content-Length before a body is read, then while reading it.

export const MB = 1024 * 1024;

/** Largest sample or checkpoint file: ZOETROPE_MAX_UPLOAD_MB (default 20). */
export function maxUploadBytes(): number {
  const mb = Number(process.env.ZOETROPE_MAX_UPLOAD_MB);
  return (Number.isFinite(mb) && mb > 0 ? mb : 20) * MB;
}

/**
 * Largest run bundle (zip) to import: ZOETROPE_MAX_IMPORT_MB (default 200). Its samples are each held to
 * maxUploadBytes like any upload; this bounds the whole body.
 */
export function maxImportBytes(): number {
  const mb = Number(process.env.ZOETROPE_MAX_IMPORT_MB);
  return (Number.isFinite(mb) && mb > 0 ? mb : 200) * MB;
}

/** Room for multipart boundaries and the small text fields around an upload. */
export const FORM_OVERHEAD_BYTES = 64 * 1024;

/** Run code, hyperparameters and notebooks are text; 2 MB is far above any real one. */
export const JSON_BODY_BYTES = 2 * MB;

/** 10,000 points of {key, step, value, time} with long keys stay well under this. */
export const METRIC_BODY_BYTES = 8 * MB;

/** A person's form posted to a page (a server action): next.config.js gives Next's own check the same figure. */
export const PAGE_FORM_BYTES = 2 * MB;
