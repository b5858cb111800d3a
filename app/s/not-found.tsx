import styles from "@/components/share/share.module.css";

/** Unknown, revoked and expired links all look the same: there is nothing here. */
export default function SharedNotFound() {
  return (
    <div className={styles.plain}>
      <h1>Link not found</h1>
      <p className="muted">This link does not exist, was revoked, or has expired.</p>
    </div>
  );
}
