"""The Scrapy side: settings, items, pipelines, HTTP cache policy, transfer and progress accounting."""
