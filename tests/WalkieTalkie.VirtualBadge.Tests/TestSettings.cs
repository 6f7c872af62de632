// The end-to-end runs are real time: running them beside each other on a small machine only adds stalls.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
