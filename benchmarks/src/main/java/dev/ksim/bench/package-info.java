/**
 * JMH benchmarks of ksim's hot paths, one class per performance target of docs/PERFORMANCE.md.
 *
 * <p>Built only with {@code mvn -Pbench -pl benchmarks -am package}; run with
 * {@code java -jar benchmarks/target/benchmarks.jar <regex>}. They live in {@code src/main/java} so
 * no test run ever picks them up.
 */
package dev.ksim.bench;
