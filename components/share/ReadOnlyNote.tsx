import styles from "./share.module.css";

export function ReadOnlyNote() {
  return <span className={styles.note}>Shared read-only view</span>;
}
