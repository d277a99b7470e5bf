/* The page that waits for a PDF: once htmx swaps in the "ready" state, start the download.
 *
 * The state is polled by htmx (hx-get on #pdf-progress); the ready fragment holds a plain
 * download link, which this script follows once. Without JavaScript the page refreshes
 * itself (<noscript> meta refresh) and the PDF's URL then answers with the file.
 */
(function () {
  "use strict";
  var started = false;

  function startDownload() {
    if (started) return;
    var link = document.querySelector("#pdf-progress [data-pdf-download]");
    if (!link) return;
    started = true;
    link.click();
  }

  document.addEventListener("htmx:afterSettle", startDownload);
})();
