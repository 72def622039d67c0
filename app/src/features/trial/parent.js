// Atelier trial-lesson embeds: include once on a page that has
// <iframe data-atelier-embed src="https://{school}/embed/{id}">. It resizes each such frame
// to its lesson, and re-dispatches "viewed" and "cta" as DOM events on the iframe
// (atelier:viewed, atelier:cta; event.detail = {lesson, href}). Without this script the
// frame keeps its fixed height and scrolls.
(function () {
  if (window.__atelierEmbeds) return;
  window.__atelierEmbeds = true;
  var MAX_HEIGHT = 100000;
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.source !== "atelier" || typeof data.type !== "string") return;
    var frames = document.querySelectorAll("iframe[data-atelier-embed]");
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (frame.contentWindow !== event.source) continue;
      // Only the school this frame points at may resize it.
      var expected;
      try { expected = new URL(frame.src, window.location.href).origin; } catch (e) { return; }
      if (event.origin !== expected) return;
      if (data.type === "resize") {
        var height = Number(data.height);
        if (height > 0 && height < MAX_HEIGHT) frame.style.height = Math.ceil(height) + "px";
      } else if (data.type === "viewed" || data.type === "cta") {
        var detail = { lesson: String(data.lesson || ""), href: typeof data.href === "string" ? data.href : "" };
        frame.dispatchEvent(new CustomEvent("atelier:" + data.type, { detail: detail }));
      }
      return;
    }
  });
})();
