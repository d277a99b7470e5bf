/* members: a Leaflet map of the cities a page lists (the directory: every match, up to a limit).
   The points come from a JSON script element (json_script), never from inline JS.
   Tiles are drawn only when a tile server is configured (settings.MAP_TILE_URL); without one
   the map draws the countries' outlines from a vendored Natural Earth file (1:110m, public
   domain, TopoJSON read by topojson-client), on a sea-coloured frame it fills.
   Nearby cities are clustered (Leaflet.markercluster) so that Europe is not one blob; a cluster
   opens on a click or Enter, a city's popup names its coalitions and links to its profile.
   A city's name is data, never markup: Leaflet sets a string popup or tooltip as HTML, so both
   are given DOM nodes whose text is set with textContent. */
(function () {
  "use strict";

  function readJSON(id) {
    var element = document.getElementById(id);
    if (!element) { return null; }
    try { return JSON.parse(element.textContent); } catch (e) { return null; }
  }

  // Natural Earth rings that cross the antimeridian (Russia, Fiji) jump from +180 to -180;
  // drawn as they are, each jump is a line across the whole map. Keep each ring continuous.
  function unwrapRing(ring) {
    for (var i = 1; i < ring.length; i += 1) {
      while (ring[i][0] - ring[i - 1][0] > 180) { ring[i][0] -= 360; }
      while (ring[i][0] - ring[i - 1][0] < -180) { ring[i][0] += 360; }
    }
  }

  function unwrap(geometry) {
    if (!geometry) { return; }
    if (geometry.type === "Polygon") { geometry.coordinates.forEach(unwrapRing); }
    if (geometry.type === "MultiPolygon") {
      geometry.coordinates.forEach(function (polygon) { polygon.forEach(unwrapRing); });
    }
  }

  function basemap(map, options) {
    if (!options.basemap || !window.fetch || !window.topojson) { return; }
    window.fetch(options.basemap, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (topology) {
        if (!topology || !topology.objects || !topology.objects.countries) { return; }
        var countries = window.topojson.feature(topology, topology.objects.countries);
        countries.features.forEach(function (feature) { unwrap(feature.geometry); });
        window.L.geoJSON(countries, {
          interactive: false,
          style: { color: "#ffffff", weight: 0.8, fillColor: "#c9d3c0", fillOpacity: 1 }
        }).addTo(map).bringToBack();
        if (options.basemapAttribution) {
          map.attributionControl.addAttribution(options.basemapAttribution);
        }
      })
      .catch(function () { /* the cities still show on the plain frame */ });
  }

  function popupFor(point, options) {
    var box = document.createElement("div");
    box.className = "map-popup";
    var title = document.createElement("p");
    title.className = "map-popup__name";
    var strong = document.createElement("strong");
    strong.textContent = point.name;
    title.appendChild(strong);
    box.appendChild(title);
    if (point.coalitions && point.coalitions.length) {
      var member = document.createElement("p");
      member.textContent = (options.memberOf || "Member of") + ": " + point.coalitions.join(", ");
      box.appendChild(member);
    }
    var link = document.createElement("a");
    link.href = point.url;
    link.textContent = options.profile || "City profile";
    box.appendChild(link);
    return box;
  }

  function labelFor(point) {
    var label = document.createElement("span");
    label.textContent = point.name;
    return label;
  }

  function clusterIcon(cluster) {
    var count = cluster.getChildCount();
    var size = count < 10 ? 34 : count < 100 ? 40 : 48;
    // The count is a number, never user text.
    return window.L.divIcon({
      html: "<div><span>" + String(Number(count)) + "</span></div>",
      className: "map-cluster",
      iconSize: window.L.point(size, size)
    });
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
      worldCopyJump: true, scrollWheelZoom: false, zoomControl: false,
      preferCanvas: points.length > 300, maxZoom: 18
    });
    // The world is 256 px wide at zoom 0: never zoom out so far that it leaves the frame empty.
    var widest = Math.max(container.clientWidth, container.clientHeight, 256);
    map.setMinZoom(Math.max(1, Math.floor(Math.log(widest / 256) / Math.LN2)));
    window.L.control.zoom({
      position: rtl ? "topright" : "topleft",
      zoomInTitle: options.zoomInTitle || "Zoom in",
      zoomOutTitle: options.zoomOutTitle || "Zoom out"
    }).addTo(map);
    if (options.tiles) {
      window.L.tileLayer(options.tiles, { attribution: options.attribution || "", maxZoom: 18 }).addTo(map);
      container.classList.add("city-map--tiles");
    } else {
      basemap(map, options);
    }
    var labelled = points.length <= 12;
    // Markers and clusters are not tab stops: the table beside the map is the keyboard's way
    // to the cities (a cluster icon is a Leaflet marker, which takes tabindex=0 by default).
    if (window.L.MarkerCluster) { window.L.MarkerCluster.mergeOptions({ keyboard: false }); }
    var layer = window.L.markerClusterGroup && points.length > 1
      ? window.L.markerClusterGroup({
        iconCreateFunction: clusterIcon, showCoverageOnHover: false, maxClusterRadius: 45
      })
      : window.L.layerGroup();
    var bounds = [];
    points.forEach(function (point) {
      var marker = window.L.circleMarker([point.lat, point.lon], {
        radius: 7, color: "#083a66", weight: 2, fillColor: "#b3262d", fillOpacity: 0.9
      });
      // A circle marker is not an icon: markercluster needs the marker's own position API.
      marker.bindPopup(popupFor(point, options));
      marker.bindTooltip(labelFor(point), {
        permanent: labelled, direction: rtl ? "left" : "right", offset: [rtl ? -8 : 8, 0]
      });
      // Chromium makes an SVG shape with focus listeners (the tooltip's) a tab stop.
      marker.on("add", function () {
        var shape = marker.getElement && marker.getElement();
        if (shape) { shape.setAttribute("tabindex", "-1"); }
      });
      layer.addLayer(marker);
      bounds.push([point.lat, point.lon]);
    });
    layer.addTo(map);
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
