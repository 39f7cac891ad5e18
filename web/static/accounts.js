// Account pages: save a recovery code as a text file, or copy a code or token.
// Without JavaScript the buttons stay hidden and the page asks the reader to write it down.
"use strict";

(function accountSecrets() {
  const status = document.getElementById("copy-status");
  const say = (text) => { if (status) status.textContent = text; };

  const download = document.getElementById("download-code");
  if (download) {
    const source = document.getElementById(download.dataset.codeFor);
    download.hidden = false;
    download.addEventListener("click", () => {
      const text = [
        "Lifted recovery code",
        "",
        `Username: ${source.dataset.username}`,
        `Recovery code: ${source.textContent.trim()}`,
        "",
        "Keep this file somewhere safe. With your username, this code lets you set a new",
        "passphrase. Each code works once; you get a new one when you use it.",
        "",
      ].join("\n");
      // A Blob made here never leaves the device: the code is not sent anywhere again.
      const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = "lifted-recovery-code.txt";
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      say("Saved as lifted-recovery-code.txt in your downloads.");
    });
  }

  const copy = document.getElementById("copy-code");
  if (copy && navigator.clipboard) {
    const source = document.getElementById(copy.dataset.codeFor);
    copy.hidden = false;
    copy.addEventListener("click", () => {
      navigator.clipboard.writeText(source.textContent.trim())
        .then(() => say("Copied."))
        .catch(() => say("Couldn't copy here. Please select the text and copy it."));
    });
  }
})();
