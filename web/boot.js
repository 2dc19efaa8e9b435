// Registers the service worker that keeps the hosted build usable offline.
'use strict';
if ('serviceWorker' in navigator && location.protocol !== 'file:') {
  window.addEventListener('load', function () {
    navigator.serviceWorker.register('sw.js').catch(function (e) {
      console.warn('Offline cache unavailable: ' + e.message);
    });
  });
}
