// Article view: selecting an event (link or #event-<id> in the address) marks its
// evidence sentence and trigger in the text and scrolls to it.
(function () {
  "use strict";

  function clear() {
    document.querySelectorAll(".article-text .active, .article-text .active-trigger, .event-card.active")
      .forEach(function (el) { el.classList.remove("active", "active-trigger"); });
  }

  function has(el, key, eventId) {
    return (el.dataset[key] || "").split(" ").indexOf(eventId) !== -1;
  }

  // Marks the event's evidence sentence ("evidence active") and its own trigger
  // ("active-trigger"), and its card in the list.
  function select(eventId, scroll) {
    clear();
    if (!eventId) return;
    var card = document.getElementById("event-" + eventId);
    if (card) {
      card.classList.add("active");
      card.scrollIntoView({ block: "nearest" });
    }
    var evidence = [];
    document.querySelectorAll(".article-text [data-events]").forEach(function (el) {
      if (has(el, "events", eventId)) {
        el.classList.add("active");
        evidence.push(el);
      }
    });
    document.querySelectorAll(".article-text [data-triggers]").forEach(function (el) {
      if (has(el, "triggers", eventId)) el.classList.add("active-trigger");
    });
    if (scroll && evidence.length) {
      evidence[0].scrollIntoView({ block: "center" });
    }
  }

  function fromHash() {
    var match = /^#event-(.+)$/.exec(window.location.hash);
    select(match ? decodeURIComponent(match[1]) : null, true);
  }

  // Clicking a trigger in the text selects its event.
  document.addEventListener("click", function (ev) {
    var el = ev.target.closest && ev.target.closest(".article-text [data-triggers]");
    if (el) {
      window.location.hash = "event-" + el.dataset.triggers.split(" ")[0];
    }
  });
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
