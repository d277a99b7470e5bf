/* members: a Leaflet map of the cities a page lists (the directory: every match, up to a limit).
   The points come from a JSON script element (json_script), never from inline JS.
   Tiles are drawn only when a tile server is configured (settings.MAP_TILE_URL);
   without one the cities still show, as dots on a plain background with a graticule.
   A city's name is data, never markup: Leaflet sets a string popup or tooltip as HTML, so both
   are given DOM nodes whose text is set with textContent. */
(function () {
  "use strict";

  function readJSON(id) {
    var element = document.getElementById(id);
    if (!element) { return null; }
    try { return JSON.parse(element.textContent); } catch (e) { return null; }
  }

  function graticule(map) {
    var style = { color: "#9fb3c8", weight: 1, opacity: 0.7, interactive: false };
    var lat, lon;
    // Drawn over three world widths, so the lines still cover a wide, zoomed-out map.
    for (lat = -60; lat <= 75; lat += 15) {
      window.L.polyline([[lat, -540], [lat, 540]], style).addTo(map);
    }
    for (lon = -540; lon <= 540; lon += 15) {
      window.L.polyline([[-85, lon], [85, lon]], style).addTo(map);
    }
  }

  function popupFor(point) {
    var link = document.createElement("a");
    link.href = point.url;
    link.textContent = point.name;
    return link;
  }

  function labelFor(point) {
    var label = document.createElement("span");
    label.textContent = point.name;
    return label;
  }

  function draw(container) {
    var points = readJSON(container.dataset.mapPoints) || [];
    var options = readJSON(container.dataset.mapSettings) || {};
    var note = document.getElementById(container.getAttribute("aria-describedby"));
    if (!window.L || points.length === 0) { return; }
    container.hidden = false;
    if (note) { note.hidden = false; }
    // Right to left (Arabic): the controls and labels are mirrored; the map itself stays
    // left to right, as geography is (Leaflet's panes are laid out for it).
    var rtl = document.documentElement.dir === "rtl";
    container.setAttribute("dir", "ltr");

    // Hundreds of markers draw faster on one canvas than as SVG elements.
    var map = window.L.map(container, {
      worldCopyJump: true, scrollWheelZoom: false, zoomControl: false, preferCanvas: points.length > 300
    });
    window.L.control.zoom({
      position: rtl ? "topright" : "topleft",
      zoomInTitle: options.zoomInTitle || "Zoom in",
      zoomOutTitle: options.zoomOutTitle || "Zoom out"
    }).addTo(map);
    if (options.tiles) {
      window.L.tileLayer(options.tiles, { attribution: options.attribution || "", maxZoom: 18 }).addTo(map);
      container.classList.add("city-map--tiles");
    } else {
      graticule(map);
    }
    var labelled = points.length <= 12;
    var bounds = [];
    points.forEach(function (point) {
      var marker = window.L.circleMarker([point.lat, point.lon], {
        radius: 7, color: "#083a66", weight: 2, fillColor: "#b3262d", fillOpacity: 0.9
      }).addTo(map);
      marker.bindPopup(popupFor(point));
      marker.bindTooltip(labelFor(point), {
        permanent: labelled, direction: rtl ? "left" : "right", offset: [rtl ? -8 : 8, 0]
      });
      bounds.push([point.lat, point.lon]);
    });
    if (bounds.length === 1) {
      map.setView(bounds[0], options.tiles ? 9 : 5);
    } else {
      map.fitBounds(bounds, { padding: [30, 30], maxZoom: 9 });
    }
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".city-map"), draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
