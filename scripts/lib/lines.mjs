// Child-process output, line by line: `npm run dev` and `npm run bench` both prefix and filter what the
// commands they start print.

/** Calls `onLine` with each complete line of `stream`, and with the unterminated rest when it ends. */
export function eachLine(stream, onLine) {
  let buf = "";
  stream.on("data", (d) => {
    buf += d.toString();
    const lines = buf.split("\n");
    buf = lines.pop();
    for (const line of lines) onLine(line);
  });
  stream.on("end", () => {
    if (buf) onLine(buf);
  });
}
