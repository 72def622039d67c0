// Runs inside the embed page (inline, allowed by its hash in the page's CSP). Tells the page
// that frames it how tall the lesson is, that it was viewed, and when the call to action is
// tapped. The messages carry nothing private, so any parent may read them; /embed.js on the
// parent checks that they come from the school it framed.
(function () {
  if (window.parent === window) return;
  var lesson = document.documentElement.getAttribute("data-embed");
  function post(message) {
    message.source = "atelier";
    message.lesson = lesson;
    window.parent.postMessage(message, "*");
  }
  var last = 0;
  function resize() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height !== last) {
      last = height;
      post({ type: "resize", height: height });
    }
  }
  if (window.ResizeObserver) new ResizeObserver(resize).observe(document.documentElement);
  window.addEventListener("load", resize);
  resize();
  post({ type: "viewed" });
  var ctas = document.querySelectorAll("a[data-cta]");
  for (var i = 0; i < ctas.length; i++) {
    ctas[i].addEventListener("click", function (event) {
      post({ type: "cta", href: event.currentTarget.href });
    });
  }
})();
