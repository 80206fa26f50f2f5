using Xunit;

// Stress tests start several threads each; running two at once on a 2-core machine only slows both.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
