"""Django's Redis cache, whose clear() removes only its own keys.

The cache shares a Redis database with the channel layer; Django's RedisCache
clears with FLUSHDB, which would also wipe every queue and group of the layer
(and, on a shared Redis, other sites' data).
"""

from django.core.cache.backends.redis import RedisCache


class PrefixedRedisCache(RedisCache):
    def clear(self):
        client = self._cache.get_client(write=True)
        pattern = f"{self.key_prefix}:*"  # every version of every key (default_key_func)
        batch = []
        for key in client.scan_iter(match=pattern, count=1000):
            batch.append(key)
            if len(batch) == 1000:
                client.delete(*batch)
                batch.clear()
        if batch:
            client.delete(*batch)
        return True
