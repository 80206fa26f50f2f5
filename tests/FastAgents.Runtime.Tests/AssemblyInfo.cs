using Xunit;

// Worker tests start threads of their own; two at once on a 2-core machine only slow each other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
