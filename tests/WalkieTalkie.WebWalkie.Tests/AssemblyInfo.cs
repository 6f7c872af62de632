// One headless browser at a time: each is a Chromium with a Blazor runtime playing or capturing audio in real time,
// and the CI host has 2 shared cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
